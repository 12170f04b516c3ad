#!/usr/bin/env bash
# Builds the orchestrator, judge and viz-service images with Jib and writes each as a docker-archive
# tarball (docker load -i FILE), on a machine with no Docker daemon and no registry of its own:
# Jib pushes to a registry on loopback (Debian's docker-registry), skopeo copies each image to a tarball.
# The base image is a registry image where one can be pulled (OPTBENCH_JVM_BASE_IMAGE), else the
# Java 21 runtime that jre-base.sh makes from Debian's packages.
# Usage: deploy/images/build.sh [MODULE...]    (default: orchestrator judge viz-service)
set -euo pipefail

OPTBENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=deploy/local/lib.sh
source "$OPTBENCH_ROOT/deploy/local/lib.sh"

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(orchestrator judge viz-service)
out_dir=$OPTBENCH_ROOT/target/images
registry_port=${OPTBENCH_IMAGES_REGISTRY_PORT:-15000}
registry=127.0.0.1:$registry_port

for tool in docker-registry skopeo; do
  command -v "$tool" >/dev/null 2>&1 || fail "building image tarballs needs '$tool' (apt-get install docker-registry skopeo)"
done
use_java

base=${OPTBENCH_JVM_BASE_IMAGE:-}
if [ -z "$base" ]; then
  base_tar=$OPTBENCH_CACHE/images/jre-base-21.tar
  if [ ! -f "$base_tar" ]; then
    say "making the Java 21 base image from Debian's packages (debootstrap)"
    "$OPTBENCH_ROOT/deploy/images/jre-base.sh" "$base_tar"
  fi
  base=tar://$base_tar
fi

port_in_use "$registry_port" && fail "port $registry_port is taken; set OPTBENCH_IMAGES_REGISTRY_PORT"
work=$(mktemp -d)
cat >"$work/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $registry
log:
  level: warn
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'stop_pid "$registry_pid" 10; rm -rf "$work"' EXIT
wait_for_port 127.0.0.1 "$registry_port" 30 || fail "the loopback registry did not start: $(cat "$work/registry.log")"

mkdir -p "$out_dir"
started=$(date +%s)
say "building ${modules[*]} with Jib on $base (pushing to the loopback registry $registry)"
(IFS=,; "$OPTBENCH_ROOT/mvnw" -B -q -f "$OPTBENCH_ROOT/pom.xml" -Pimages -DskipTests package -pl "${modules[*]}" -am \
  -Dquarkus.jib.base-jvm-image="$base" -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.insecure=true) \
  >"$out_dir/build.log" 2>&1 || { tail -n 40 "$out_dir/build.log" >&2; fail "the image build failed; see $out_dir/build.log"; }
say "Jib built ${modules[*]} in $(( $(date +%s) - started )) s"

version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$OPTBENCH_ROOT/pom.xml" | head -n 1)
for module in "${modules[@]}"; do
  name=$(sed -n 's/^quarkus\.application\.name=//p' "$OPTBENCH_ROOT/$module/src/main/resources/application.properties")
  image=optbench/$name:$version
  rm -f "$out_dir/$name.tar"
  skopeo copy --quiet --src-tls-verify=false "docker://$registry/$image" "docker-archive:$out_dir/$name.tar:$image" \
    || fail "copying $image out of the loopback registry failed"
  printf '%s\t%s\t%s\n' "$image" "$(du -h "$out_dir/$name.tar" | cut -f1)" "$out_dir/$name.tar"
done
