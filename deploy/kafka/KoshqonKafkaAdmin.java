/*
 * Small admin helper for deploy/local/kafka.sh, compiled at install time against the Kafka client
 * jars in var/kafka/libs. One JVM does what would take one TopicCommand JVM per topic.
 *
 *   KoshqonKafkaAdmin ping   BOOTSTRAP [TIMEOUT_MS]   exit 0 when the cluster answers a metadata call
 *   KoshqonKafkaAdmin list   BOOTSTRAP               print the topic names, one a line
 *   KoshqonKafkaAdmin ensure BOOTSTRAP TOPICS_FILE   create the missing topics of TOPICS_FILE
 *                                                    ("name partitions" lines, '#' comments), each
 *                                                    with its "<name>.dlt" dead-letter topic
 *
 * Exit codes: 0 ok, 1 failure (message on stderr), 2 usage.
 */

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

public final class KoshqonKafkaAdmin {

    private KoshqonKafkaAdmin() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            usage();
        }
        String command = args[0];
        String bootstrap = args[1];
        try {
            switch (command) {
                case "ping" -> System.exit(ping(bootstrap, args.length > 2 ? Integer.parseInt(args[2]) : 5000));
                case "list" -> System.exit(list(bootstrap));
                case "ensure" -> {
                    if (args.length < 3) {
                        usage();
                    }
                    System.exit(ensure(bootstrap, Path.of(args[2])));
                }
                default -> usage();
            }
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("kafka admin: " + command + " failed: " + cause);
            System.exit(1);
        }
    }

    private static void usage() {
        System.err.println("usage: KoshqonKafkaAdmin {ping BOOTSTRAP [TIMEOUT_MS] | list BOOTSTRAP | ensure BOOTSTRAP TOPICS_FILE}");
        System.exit(2);
    }

    private static Admin admin(String bootstrap, int timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "koshqon-deploy-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(timeoutMs, 1000)));
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "200");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "200");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return Admin.create(props);
    }

    private static int ping(String bootstrap, int timeoutMs) throws Exception {
        try (Admin admin = admin(bootstrap, timeoutMs)) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
            var nodes = cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                System.err.println("kafka admin: the cluster reports no broker");
                return 1;
            }
            // A metadata round trip that also needs the controller to have published metadata.
            admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs)).names().get(timeoutMs, TimeUnit.MILLISECONDS);
            System.out.println("cluster " + cluster.clusterId().get() + " brokers " + nodes.size());
            return 0;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            System.err.println("kafka admin: no answer from " + bootstrap + ": " + cause);
            return 1;
        }
    }

    private static int list(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap, 15000)) {
            Set<String> names = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get());
            names.forEach(System.out::println);
            return 0;
        }
    }

    /** Parses "name partitions" lines; keeps file order, adds "<name>.dlt" after each name. */
    static Map<String, Integer> readTopics(Path file) throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String line = raw;
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'name partitions', got '" + raw + "'");
            }
            int partitions = Integer.parseInt(parts[1]);
            if (partitions < 1) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": partitions must be >= 1");
            }
            topics.put(parts[0], partitions);
            topics.put(parts[0] + ".dlt", partitions);
        }
        return topics;
    }

    private static int ensure(String bootstrap, Path file) throws Exception {
        Map<String, Integer> wanted = readTopics(file);
        try (Admin admin = admin(bootstrap, 15000)) {
            Set<String> existing = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Map.Entry<String, Integer> entry : wanted.entrySet()) {
                if (!existing.contains(entry.getKey())) {
                    missing.add(new NewTopic(entry.getKey(), entry.getValue(), (short) 1));
                }
            }
            if (missing.isEmpty()) {
                System.out.println("topics: all " + wanted.size() + " present");
                return 0;
            }
            CreateTopicsResult result = admin.createTopics(missing);
            int created = 0;
            int failed = 0;
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get();
                    created++;
                    System.out.println("topics: created " + topic.name() + " (" + topic.numPartitions() + " partitions)");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        continue; // created concurrently (a service or another run): fine
                    }
                    failed++;
                    System.err.println("topics: could not create " + topic.name() + ": " + e.getCause());
                }
            }
            System.out.println("topics: " + created + " created, " + (wanted.size() - missing.size()) + " already present");
            return failed == 0 ? 0 : 1;
        }
    }
}
