#!/usr/bin/env bash
# Builds a Java 21 runtime base image from Debian's packages (debootstrap) as a docker-archive tarball,
# for machines that reach no container registry. Jib reads it as quarkus.jib.base-jvm-image=tar://FILE.
# Usage: deploy/images/jre-base.sh OUT.tar   (needs root and debootstrap; Debian's mirror must be reachable)
set -euo pipefail

out=${1:?usage: jre-base.sh OUT.tar}
suite=${OPTBENCH_BASE_SUITE:-trixie}
mirror=${OPTBENCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
tag=${OPTBENCH_BASE_TAG:-optbench/jre-base:21}

command -v debootstrap >/dev/null 2>&1 || { echo "jre-base: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
image=$work/image
mkdir -p "$image"

debootstrap --variant=minbase --include=openjdk-21-jre-headless,ca-certificates,curl "$suite" "$rootfs" "$mirror" >&2
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/tmp/*
java_home=$(dirname "$(dirname "$(chroot "$rootfs" readlink -f /usr/bin/java)")")
[ -x "$rootfs$java_home/bin/java" ] || { echo "jre-base: no java in the root file system" >&2; exit 1; }
# The image's user for the services: uid 185, as in the UBI OpenJDK images Quarkus defaults to.
chroot "$rootfs" useradd --uid 185 --gid 0 --home-dir /home/jboss --create-home --shell /usr/sbin/nologin jboss

tar --numeric-owner --xattrs -C "$rootfs" -cf "$image/layer.tar" .
diff_id=$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
cat >"$image/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],"User":"185"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created_by":"debootstrap --variant=minbase --include=openjdk-21-jre-headless,ca-certificates,curl $suite"}]}
JSON
config_id=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]\n' "$config_id" "$tag" >"$image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out" manifest.json "$config_id.json" layer.tar
echo "jre-base: $out ($(du -h "$out" | cut -f1), $tag, java in $java_home)" >&2
