// Importing the libs' modules registers their entities with the data source (DatabaseModule.forFeature).
import '@aduan/audit';
import '@aduan/complaints';
import '@aduan/directory';
import '@aduan/notifications';
import '@aduan/routing';
import '@aduan/sla';
