import { configReportOf, loadConfigOrExit } from '@frontdoor/config';
import { runBff } from '@frontdoor/platform';
import { createWebBff } from './app/create-web-bff';
import { webSchema } from './app/web.config';

const config = loadConfigOrExit(webSchema);
void runBff('web-bff', config, () => createWebBff(config), configReportOf(webSchema));
