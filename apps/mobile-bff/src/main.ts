import { configReportOf, loadConfigOrExit } from '@frontdoor/config';
import { runBff } from '@frontdoor/platform';
import { createMobileBff } from './app/create-mobile-bff';
import { mobileSchema } from './app/mobile.config';

const config = loadConfigOrExit(mobileSchema);
void runBff('mobile-bff', config, () => createMobileBff(config), configReportOf(mobileSchema));
