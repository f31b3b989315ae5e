import java.sql.DriverManager;

class Db {
    Object c() throws Exception {
        // ruleid: java-hardcoded-jdbc-password
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", "s3cret");
    }
    Object c2(String pw) throws Exception {
        // ok: java-hardcoded-jdbc-password
        return DriverManager.getConnection("jdbc:postgresql://db/app", "app", pw);
    }
}
