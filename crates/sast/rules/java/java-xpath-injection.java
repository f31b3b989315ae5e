class Users {
    Object find(javax.xml.xpath.XPath xpath, Object doc, String name) throws Exception {
        // ruleid: java-xpath-injection
        return xpath.evaluate("//user[@name='" + name + "']", doc);
    }
    Object all(javax.xml.xpath.XPath xpath, Object doc) throws Exception {
        // ok: java-xpath-injection
        return xpath.evaluate("//user", doc);
    }
}
