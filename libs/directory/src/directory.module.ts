import { DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AreaEntity } from './areas/area.entity';
import { CategoryEntity } from './areas/category.entity';
import { TenantEntity } from './areas/tenant.entity';
import { LoginThrottle } from './auth/login-throttle';
import { OfficialSessionEntity } from './auth/official-session.entity';
import { RetiredRefreshTokenEntity } from './auth/retired-refresh-token.entity';
import { SignInAudit } from './auth/sign-in-audit';
import { TokenService } from './auth/token.service';
import { DirectoryQueries } from './directory.queries';
import { OfficialAccounts } from './officials/official-accounts.service';
import { OfficialEntity } from './officials/official.entity';
import { OfficialsService } from './officials/officials.service';
import { Open311Directory } from './open311/open311-directory';
import { UnitEntity } from './units/unit.entity';

@Module({
  imports: [DatabaseModule.forFeature([TenantEntity, AreaEntity, UnitEntity, OfficialEntity, CategoryEntity, ApiKeyEntity, OfficialSessionEntity, RetiredRefreshTokenEntity])],
  providers: [DirectoryQueries, OfficialsService, OfficialAccounts, TokenService, LoginThrottle, SignInAudit, ApiKeysService, Open311Directory],
  exports: [DirectoryQueries, OfficialsService, OfficialAccounts, TokenService, LoginThrottle, SignInAudit, ApiKeysService, Open311Directory],
})
export class DirectoryModule {}
