import java.io.File;
import java.util.zip.*;

class Unzip {
    void unzip(ZipInputStream zis, File dest) throws Exception {
        ZipEntry entry;
        while ((entry = zis.getNextEntry()) != null) {
            // ruleid: java-zip-slip
            File out = new File(dest, entry.getName());
            write(zis, out);
        }
    }
    void manifest(File dest) {
        // ok: java-zip-slip
        File out = new File(dest, "MANIFEST.MF");
    }
}
