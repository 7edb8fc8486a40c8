#!/usr/bin/env bash
# Starts or stops a throwaway ClickHouse server for the integration tests, without systemd and without the package's
# init script (which stops servers by executable name, so it could stop someone else's).
#   .ci/clickhouse.sh start   install clickhouse-server if missing, start it on 127.0.0.1:8123, wait for /ping
#   .ci/clickhouse.sh stop    stop the server started by "start" (by its pid) and remove its data folder
#   .ci/clickhouse.sh status  print "running" or "stopped"
# CLICKHOUSE_HOME (default /tmp/highperfbatch-clickhouse) holds the config, data, logs and pid file.
# CLICKHOUSE_HTTP_PORT (default 8123) and CLICKHOUSE_TCP_PORT (default 9000) choose the ports.
set -euo pipefail

home=${CLICKHOUSE_HOME:-/tmp/highperfbatch-clickhouse}
http_port=${CLICKHOUSE_HTTP_PORT:-8123}
tcp_port=${CLICKHOUSE_TCP_PORT:-9000}
pid_file="$home/clickhouse.pid"

is_running() {
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

ping_ok() {
  local answer
  if command -v curl >/dev/null 2>&1; then
    answer=$(curl -s --max-time 1 "http://127.0.0.1:${http_port}/ping" 2>/dev/null || true)
  else
    answer=$(timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/${http_port} && printf 'GET /ping HTTP/1.0\\r\\n\\r\\n' >&3 && tail -n 1 <&3" 2>/dev/null || true)
  fi
  [ "$answer" = "Ok." ]
}

install_server() {
  if command -v clickhouse-server >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "clickhouse-server is not installed and installing it needs root (apt-get install -y clickhouse-server)" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server >/dev/null
}

write_config() {
  mkdir -p "$home/data" "$home/tmp" "$home/user_files" "$home/log"
  cat >"$home/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$home/log/clickhouse-server.log</log>
        <errorlog>$home/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>2</count>
    </logger>
    <http_port>$http_port</http_port>
    <tcp_port>$tcp_port</tcp_port>
    <listen_host>127.0.0.1</listen_host>
    <max_connections>256</max_connections>
    <keep_alive_timeout>10</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$home/data/</path>
    <tmp_path>$home/tmp/</tmp_path>
    <user_files_path>$home/user_files/</user_files_path>
    <users_config>$home/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
</yandex>
XML
  cat >"$home/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
        </default>
    </quotas>
</yandex>
XML
}

start() {
  if is_running && ping_ok; then echo "ClickHouse already running (pid $(cat "$pid_file"))"; return; fi
  install_server
  write_config
  rm -f "$pid_file"
  clickhouse-server --daemon --pid-file="$pid_file" --config-file="$home/config.xml"
  for _ in $(seq 1 100); do
    if ping_ok; then echo "ClickHouse listening on 127.0.0.1:${http_port} (pid $(cat "$pid_file" 2>/dev/null))"; return; fi
    sleep 0.1
  done
  echo "ClickHouse did not answer /ping within 10 s; last log lines:" >&2
  tail -n 20 "$home/log/clickhouse-server.err.log" >&2 2>/dev/null || true
  exit 1
}

stop() {
  if [ -f "$pid_file" ]; then
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$pid_file"
    echo "ClickHouse stopped"
  else
    echo "ClickHouse not running (no $pid_file)"
  fi
  rm -rf "$home/data" "$home/tmp"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if is_running; then echo running; else echo stopped; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
