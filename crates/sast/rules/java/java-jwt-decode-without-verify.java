import com.auth0.jwt.JWT;

class Auth {
    String user(String token) {
        // ruleid: java-jwt-decode-without-verify
        return JWT.decode(token).getSubject();
    }
    String user2(String token, com.auth0.jwt.interfaces.JWTVerifier verifier) {
        // ok: java-jwt-decode-without-verify
        return verifier.verify(token).getSubject();
    }
}
