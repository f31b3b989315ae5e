import javax.xml.parsers.*;

class Parse {
    Object bad(java.io.InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        // ruleid: java-xxe-documentbuilder
        return dbf.newDocumentBuilder().parse(in);
    }
    Object good(java.io.InputStream in) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        // ok: java-xxe-documentbuilder
        return dbf.newDocumentBuilder().parse(in);
    }
}
