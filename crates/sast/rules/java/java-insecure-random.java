import java.util.Random;

class Tokens {
    void make() {
        // ruleid: java-insecure-random
        long resetToken = new Random().nextLong();
        // ruleid: java-insecure-random
        int otpCode = (int) (Math.random() * 1000000);
        // ok: java-insecure-random
        long jitter = new Random().nextLong();
    }
}
