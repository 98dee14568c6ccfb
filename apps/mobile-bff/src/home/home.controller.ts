import { Controller, Get, Header, Req } from '@nestjs/common';
import { callContextOf, principalOf } from '@frontdoor/platform';
import { Roles, USER_ROLES } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { HomeService } from './home.service';
import type { MobileHome } from './mobile-home.shape';

/**
 * The home screen holds the user's own data (name, orders): no shared cache may keep it, and the phone's own
 * cache asks again each time — cheaply, with the answer's ETag (If-None-Match → a 304 carrying the same
 * Cache-Control). A degraded answer is `no-store` instead (set after the handler, by the platform).
 */
export const HOME_CACHE_CONTROL = 'private, no-cache';

@Controller('api/home')
export class HomeController {
  constructor(private readonly homes: HomeService) {}

  /** Any signed-in employee (USER_ROLES); shows the token subject's own account and orders, nobody else's. */
  @Get()
  @Header('Cache-Control', HOME_CACHE_CONTROL)
  @Roles(...USER_ROLES)
  home(@Req() request: FastifyRequest): Promise<MobileHome> {
    return this.homes.loadHome(principalOf(request).id, callContextOf(request));
  }
}
