import random
import secrets

# ruleid: py-insecure-random
reset_token = "".join(random.choice(ALPHABET) for _ in range(32))
# ruleid: py-insecure-random
otp = random.randint(100000, 999999)
# ok: py-insecure-random
reset_token = secrets.token_urlsafe(32)
# ok: py-insecure-random
jitter = random.uniform(0, 1)
