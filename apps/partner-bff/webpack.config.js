const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');
const { DefinePlugin } = require('webpack');
const { version } = require('../../package.json');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/partner-bff'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && { devtoolModuleFilenameTemplate: '[absolute-resource-path]' }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      optimization: false,
      outputHashing: 'none',
      // dist/apps/partner-bff/package.json + lockfile: the bundle runs with `npm ci --omit=dev` and plain node
      generatePackageJson: true,
      sourceMap: true,
    }),
    // the gateway's version for build_info: the bundle ships its own generated package.json, not the root one
    new DefinePlugin({ __FRONTDOOR_VERSION__: JSON.stringify(version) }),
  ],
};
