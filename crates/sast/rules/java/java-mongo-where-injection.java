import com.mongodb.BasicDBObject;
import com.mongodb.client.model.Filters;

class Q {
    Object q(String name) {
        // ruleid: java-mongo-where-injection
        Object a = new BasicDBObject("$where", "this.name == '" + name + "'");
        // ruleid: java-mongo-where-injection
        Object b = Filters.where("this.age > " + name);
        // ok: java-mongo-where-injection
        Object c = Filters.where("this.a > this.b");
        return a;
    }
}
