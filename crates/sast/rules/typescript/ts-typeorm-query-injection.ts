async function find(repo: Repository<User>, name: string): Promise<User[]> {
  // ruleid: ts-typeorm-query-injection
  return repo.createQueryBuilder("user").where(`user.name = '${name}'`).getMany();
}
async function find2(repo: Repository<User>, name: string): Promise<User[]> {
  // ok: ts-typeorm-query-injection
  return repo.createQueryBuilder("user").where("user.name = :name", { name }).getMany();
}
