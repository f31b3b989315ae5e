import javax.xml.stream.*;

class Stax {
    Object bad(java.io.InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        // ruleid: java-xxe-xmlinputfactory
        return xif.createXMLStreamReader(in);
    }
    Object good(java.io.InputStream in) throws Exception {
        XMLInputFactory xif = XMLInputFactory.newInstance();
        xif.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        // ok: java-xxe-xmlinputfactory
        return xif.createXMLStreamReader(in);
    }
}
