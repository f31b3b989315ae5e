import org.apache.commons.codec.digest.DigestUtils;

class Etag {
    String tag(byte[] body) {
        // ruleid: java-commons-codec-weak-hash
        return DigestUtils.md5Hex(body);
    }
    String tag2(byte[] body) {
        // ok: java-commons-codec-weak-hash
        return DigestUtils.sha256Hex(body);
    }
}
