package io.tally.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The option_settings Elastic Beanstalk documents, with the values each accepts, read from
 * src/test/resources/beanstalk/option-settings.tsv (built from the reference notes). There is no
 * offline validator from AWS, so this table is ours: an option missing from it fails the build
 * until someone looks it up in the documentation and adds it.
 */
final class OptionTable {
    private static final Pattern JVM_SIZE = Pattern.compile("\\d+[kKmMgG]?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    record Rule(String namespace, String option, String kind, String constraint) {}

    private final Map<String, Rule> rules = new HashMap<>();

    static OptionTable load() {
        try (InputStream in = OptionTable.class.getResourceAsStream("/beanstalk/option-settings.tsv")) {
            if (in == null) throw new IllegalStateException("beanstalk/option-settings.tsv missing");
            OptionTable t = new OptionTable();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t", -1);
                if (f.length < 3) throw new IllegalStateException("bad table line: " + line);
                Rule r = new Rule(f[0], f[1], f[2], f.length > 3 ? f[3].trim() : "");
                t.rules.put(r.namespace + "\t" + r.option, r);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Problems with one setting; empty when Beanstalk documents it and the value is allowed. */
    List<String> check(String namespace, String option, Object value) {
        List<String> problems = new ArrayList<>();
        String where = namespace + " / " + option + " = " + value;
        Rule r = rules.get(namespace + "\t" + option);
        if (r == null) r = rules.get(namespace + "\t*");
        if (r == null) {
            problems.add(where + ": not a documented namespace/option (see option-settings.tsv)");
            return problems;
        }
        if (value == null) {
            problems.add(where + ": no value");
            return problems;
        }
        String v = value.toString();
        switch (r.kind) {
            case "enum" -> {
                if (!List.of(r.constraint.split(",")).contains(v))
                    problems.add(where + ": allowed values are " + r.constraint);
            }
            case "int" -> checkInt(where, v, r.constraint, problems);
            case "codes" -> {
                for (String part : v.split(",")) {
                    for (String code : part.split("-")) checkInt(where, code.trim(), r.constraint, problems);
                }
            }
            case "path" -> {
                if (!v.startsWith("/") || v.contains(" ")) problems.add(where + ": must be a path starting with /");
            }
            case "size" -> {
                if (!JVM_SIZE.matcher(v).matches()) problems.add(where + ": not a JVM size like 512m");
            }
            case "envname" -> {
                if (!ENV_NAME.matcher(option).matches())
                    problems.add(where + ": not a usable environment property name");
                if (!(value instanceof String)) problems.add(where + ": quote it, environment properties are strings");
            }
            case "text" -> {
                // free text
            }
            case "forbidden" -> problems.add(where + ": documented, but not supported on Amazon Linux 2 and later");
            default -> problems.add(where + ": unknown kind " + r.kind + " in the table");
        }
        return problems;
    }

    private static void checkInt(String where, String v, String range, List<String> problems) {
        String[] mm = range.split("\\.\\.");
        try {
            long n = Long.parseLong(v);
            if (n < Long.parseLong(mm[0]) || n > Long.parseLong(mm[1])) problems.add(where + ": outside " + range);
        } catch (NumberFormatException e) {
            problems.add(where + ": not a whole number");
        }
    }

    /** JVM size in bytes ("512m" → 536870912), for comparing Xms with Xmx. */
    static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long mult =
                switch (unit) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1;
                };
        String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(digits) * mult;
    }
}
