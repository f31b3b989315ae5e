import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class Cfg {
    Object load(String text) {
        // ruleid: java-snakeyaml-unsafe
        Yaml yaml = new Yaml();
        return yaml.load(text);
    }
    Object safe(String text) {
        // ok: java-snakeyaml-unsafe
        Yaml yaml = new Yaml(new SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()));
        return yaml.load(text);
    }
}
