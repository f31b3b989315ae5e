class Ldap {
    void find(javax.naming.directory.DirContext ctx, String user, Object controls) throws Exception {
        // ruleid: java-ldap-injection
        ctx.search("dc=example,dc=com", "(uid=" + user + ")", null);
        // ok: java-ldap-injection
        ctx.search("dc=example,dc=com", "(uid={0})", new Object[] {user}, null);
    }
}
