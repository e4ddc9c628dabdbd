import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { AreaEntity } from './areas/area.entity';
import { CategoryEntity } from './areas/category.entity';
import { TenantEntity } from './areas/tenant.entity';
import { TokenService } from './auth/token.service';
import { DirectoryQueries } from './directory.queries';
import { OfficialEntity } from './officials/official.entity';
import { OfficialsService } from './officials/officials.service';
import { UnitEntity } from './units/unit.entity';

@Module({
  imports: [DatabaseModule.forFeature([TenantEntity, AreaEntity, UnitEntity, OfficialEntity, CategoryEntity])],
  providers: [DirectoryQueries, OfficialsService, TokenService],
  exports: [DirectoryQueries, OfficialsService, TokenService],
})
export class DirectoryModule {}
