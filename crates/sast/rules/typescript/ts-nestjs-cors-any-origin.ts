async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // ruleid: ts-nestjs-cors-any-origin
  app.enableCors();
  // ok: ts-nestjs-cors-any-origin
  app.enableCors({ origin: ["https://app.example.com"] });
  await app.listen(3000);
}
