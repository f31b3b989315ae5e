class Run {
    Process run(String cmd) throws Exception {
        // ruleid: java-processbuilder-shell
        return new ProcessBuilder("sh", "-c", "convert " + cmd).start();
    }
    Process run2(String file) throws Exception {
        // ok: java-processbuilder-shell
        return new ProcessBuilder("convert", file, "out.png").start();
    }
}
