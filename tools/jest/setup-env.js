// Tests are quiet unless a developer asks for logs: LOG_LEVEL=debug npx nx test web-bff
process.env.LOG_LEVEL ??= 'silent';
