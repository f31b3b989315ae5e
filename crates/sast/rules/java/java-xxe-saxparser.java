import javax.xml.parsers.*;

class Sax {
    void bad(java.io.InputStream in, org.xml.sax.helpers.DefaultHandler h) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance();
        // ruleid: java-xxe-saxparser
        spf.newSAXParser().parse(in, h);
    }
    void good(java.io.InputStream in, org.xml.sax.helpers.DefaultHandler h) throws Exception {
        SAXParserFactory spf = SAXParserFactory.newInstance();
        spf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // ok: java-xxe-saxparser
        spf.newSAXParser().parse(in, h);
    }
}
