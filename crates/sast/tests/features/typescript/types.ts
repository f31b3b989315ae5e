// ruleid: any-cast-eval
eval(input as any);
// ok: any-cast-eval
eval(input);

// ruleid: decorated-controller
@Controller("users")
class UsersController {
  list(): string[] {
    return [];
  }
}

// ok: decorated-controller
class Plain {}

// ruleid: typed-param
function greet(name: string, times: number): string {
  return name.repeat(times);
}

// ok: typed-param
function count(n: number): number {
  return n;
}
