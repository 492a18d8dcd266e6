package io.tokenlab.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code java -cp data.jar io.tokenlab.runtime.data.FetchCommand NAME...}: fetches data sets
 * outside the runtime (scripts, benchmarks) and prints one cached path per line.
 * {@code --digest PATH} prints the digest a catalog line needs for a file or directory.
 */
public final class FetchCommand {
    private FetchCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: FetchCommand NAME... | --list | --digest PATH");
            System.exit(2);
        }
        if (args[0].equals("--digest")) {
            Path p = Path.of(args[1]);
            if (p.toFile().isDirectory()) {
                long files;
                try (var walk = java.nio.file.Files.walk(p)) {
                    files = walk.filter(java.nio.file.Files::isRegularFile).count();
                }
                System.out.println("tree:" + files + ":" + FileCatalog.treeDigest(p));
            } else {
                System.out.println("sha256:" + FileCatalog.sha256(p));
            }
            return;
        }
        FileCatalog catalog = new FileCatalog();
        if (args[0].equals("--list")) {
            catalog.names().forEach(System.out::println);
            return;
        }
        for (String name : args) {
            System.out.println(catalog.fetch(name));
        }
    }
}
