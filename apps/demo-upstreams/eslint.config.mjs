import baseConfig, { notShippedCode } from '../../eslint.config.mjs';

export default [...baseConfig, ...notShippedCode];
