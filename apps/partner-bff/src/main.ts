import { configReportOf, loadConfigOrExit } from '@frontdoor/config';
import { runBff } from '@frontdoor/platform';
import { createPartnerBff } from './app/create-partner-bff';
import { partnerSchema } from './app/partner.config';

const config = loadConfigOrExit(partnerSchema);
void runBff('partner-bff', config, () => createPartnerBff(config), configReportOf(partnerSchema));
