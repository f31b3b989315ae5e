import java.beans.XMLDecoder;

class Cfg {
    Object load(java.io.InputStream in) {
        // ruleid: java-xmldecoder
        XMLDecoder d = new XMLDecoder(in);
        return d.readObject();
    }
    // ok: java-xmldecoder
    java.beans.XMLEncoder enc;
}
