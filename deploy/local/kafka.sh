# A single-node Kafka broker in KRaft mode, from the kafka_2.13 jars on Maven Central.
# shellcheck shell=bash

KAFKA_VERSION=4.4.0
OPTBENCH_KAFKA_PORT=${OPTBENCH_KAFKA_PORT:-19092}
OPTBENCH_KAFKA_CONTROLLER_PORT=${OPTBENCH_KAFKA_CONTROLLER_PORT:-$((OPTBENCH_KAFKA_PORT + 1))}
# Topics made at start, with the partitions each needs; job topics of other pools appear when first used.
KAFKA_TOPICS=(bench.jobs.cpu:4 bench.results:4 bench.events:2 bench.control:1 bench.judge:2 bench.scores:2 bench.dead-letter:1)

kafka_dir() { printf '%s\n' "$OPTBENCH_HOME/kafka"; }

# Resolves the broker's jars with Maven once per version and prints the classpath.
kafka_classpath() {
  local file="$OPTBENCH_CACHE/kafka/kafka_2.13-$KAFKA_VERSION.classpath"
  if [ ! -s "$file" ] || ! tr ':' '\n' <"$file" | while read -r jar; do [ -f "$jar" ] || exit 1; done; then
    mkdir -p "$(dirname "$file")"
    say "resolving the Kafka $KAFKA_VERSION broker jars from Maven Central"
    "$OPTBENCH_ROOT/mvnw" -q -B -f "$OPTBENCH_ROOT/deploy/local/kafka/pom.xml" dependency:build-classpath \
      -Dkafka.version="$KAFKA_VERSION" -Dmdep.outputFile="$file" >"$OPTBENCH_CACHE/kafka/resolve.log" 2>&1 \
      || fail "could not resolve the Kafka jars; see $OPTBENCH_CACHE/kafka/resolve.log"
  fi
  cat "$file"
}

kafka_start() {
  local dir classpath pid_file log started
  dir=$(kafka_dir)
  pid_file="$dir/kafka.pid"
  log="$dir/kafka.log"
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "$dir/server.properties"; then
    say "Kafka already runs (pid $(cat "$pid_file")) on 127.0.0.1:$OPTBENCH_KAFKA_PORT"
    return 0
  fi
  if port_in_use "$OPTBENCH_KAFKA_PORT" || port_in_use "$OPTBENCH_KAFKA_CONTROLLER_PORT"; then
    fail "port $OPTBENCH_KAFKA_PORT or $OPTBENCH_KAFKA_CONTROLLER_PORT is taken by another program; set OPTBENCH_KAFKA_PORT"
  fi
  classpath=$(kafka_classpath)
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$OPTBENCH_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$OPTBENCH_KAFKA_PORT,CONTROLLER://127.0.0.1:$OPTBENCH_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$OPTBENCH_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=4
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPERTIES
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>>"$log") || fail "Kafka StorageTool failed; see $log"
    java -cp "$classpath" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >>"$log" 2>&1 \
      || fail "formatting Kafka's log directory failed; see $log"
  fi
  started=$(date +%s%N)
  nohup java -Xms128m -Xmx512m -XX:+UseG1GC -Dslf4j.internal.verbosity=WARN \
    -cp "$classpath" kafka.Kafka "$dir/server.properties" >>"$log" 2>&1 </dev/null &
  echo $! >"$pid_file"
  java -cp "$classpath" "$OPTBENCH_ROOT/deploy/local/KafkaReady.java" "127.0.0.1:$OPTBENCH_KAFKA_PORT" 60 "${KAFKA_TOPICS[@]}" >>"$log" 2>&1 \
    || fail "Kafka did not become ready; see $log"
  say "Kafka ready on 127.0.0.1:$OPTBENCH_KAFKA_PORT in $(( ($(date +%s%N) - started) / 1000000 )) ms (pid $(cat "$pid_file"), log $log)"
}

kafka_stop() {
  local pid_file dir
  dir=$(kafka_dir)
  pid_file="$dir/kafka.pid"
  if pid_runs "$(cat "$pid_file" 2>/dev/null)" "$dir/server.properties"; then
    stop_pid "$(cat "$pid_file")" 30
    say "Kafka stopped"
  fi
  rm -f "$pid_file"
}

kafka_status() {
  local pid
  pid=$(cat "$(kafka_dir)/kafka.pid" 2>/dev/null || true)
  if pid_runs "$pid" "$(kafka_dir)/server.properties"; then
    echo "kafka        up    pid $pid  127.0.0.1:$OPTBENCH_KAFKA_PORT"
  else
    echo "kafka        down"
  fi
}
