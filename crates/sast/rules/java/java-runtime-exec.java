class Ping {
    void ping(String host) throws Exception {
        // ruleid: java-runtime-exec
        Runtime.getRuntime().exec("ping -c 1 " + host);
        // ruleid: java-runtime-exec
        Runtime.getRuntime().exec(new String[] {"sh", "-c", "ping " + host});
        // ok: java-runtime-exec
        Runtime.getRuntime().exec("uptime");
    }
}
