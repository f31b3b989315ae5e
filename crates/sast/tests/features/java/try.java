class Files {
    void one() {
        // ruleid: empty-catch
        try {
            read();
        } catch (IOException e) {
        }
    }

    void several() {
        // ruleid: empty-catch
        try {
            read();
        } catch (SecurityException e) {
            log(e);
        } catch (IOException e) {
        }
    }

    void withFinally() {
        // ok: empty-catch
        try {
            read();
        } catch (IOException e) {
        } finally {
            close();
        }
    }
}
