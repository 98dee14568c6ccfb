import { Controller, Get, Req } from '@nestjs/common';
import { callContextOf, principalOf } from '@frontdoor/platform';
import { Roles, USER_ROLES } from '@frontdoor/rbac';
import type { FastifyRequest } from 'fastify';
import { HomeService } from './home.service';
import type { MobileHome } from './mobile-home.shape';

@Controller('api/home')
export class HomeController {
  constructor(private readonly homes: HomeService) {}

  /** Any signed-in employee (USER_ROLES); shows the token subject's own account and orders, nobody else's. */
  @Get()
  @Roles(...USER_ROLES)
  home(@Req() request: FastifyRequest): Promise<MobileHome> {
    return this.homes.loadHome(principalOf(request).id, callContextOf(request));
  }
}
