# Builds llama.cpp's tools from the release that the npm package node-llama-cpp ships, cached by version and backend.
# shellcheck shell=bash

NODE_LLAMA_CPP_VERSION=${NODE_LLAMA_CPP_VERSION:-3.22.1}
LLAMA_TARGETS=(llama-server llama-quantize llama-perplexity llama-bench)

llama_backend() {
  case "${OPTBENCH_LLAMA_BACKEND:-auto}" in
    cpu|cuda) printf '%s\n' "$OPTBENCH_LLAMA_BACKEND" ;;
    auto)
      if command -v nvcc >/dev/null 2>&1 && command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
        echo cuda
      else
        echo cpu
      fi ;;
    *) fail "OPTBENCH_LLAMA_BACKEND must be auto, cpu or cuda, not '$OPTBENCH_LLAMA_BACKEND'" ;;
  esac
}

# The cache key names the release, the backend and the recipe: r2 builds without Intel AMX kernels (see llama_amx_flags).
LLAMA_BUILD_RECIPE=r2

llama_build_dir() {
  local amx=""
  [ "${OPTBENCH_LLAMA_AMX:-off}" = on ] && amx=-amx
  printf '%s\n' "$OPTBENCH_CACHE/llama.cpp/node-llama-cpp-$NODE_LLAMA_CPP_VERSION-$(llama_backend)-$LLAMA_BUILD_RECIPE$amx"
}

# ggml's AMX kernels killed llama-server (SIGSEGV, SIGILL) on loading Q4_0, Q8_0 and Q4_K_M models on the Sapphire Rapids
# build machines, while F16 and every type with --no-repack ran; so native x86 builds leave AMX out unless asked for.
llama_amx_flags() {
  [ "${OPTBENCH_LLAMA_AMX:-off}" = on ] && return 0
  [ "$(uname -m)" = x86_64 ] || return 0
  if echo 'int main(){}' | c++ -mno-amx-tile -mno-amx-int8 -mno-amx-bf16 -x c++ -o /dev/null - >/dev/null 2>&1; then
    printf '%s\n' "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  fi
}

# Prints the directory holding llama-server and friends; builds them first when the cache lacks them.
llama_bin_dir() {
  if [ -n "${OPTBENCH_LLAMA_BIN_DIR:-}" ]; then
    [ -x "$OPTBENCH_LLAMA_BIN_DIR/llama-server" ] || fail "OPTBENCH_LLAMA_BIN_DIR=$OPTBENCH_LLAMA_BIN_DIR has no executable llama-server"
    printf '%s\n' "$OPTBENCH_LLAMA_BIN_DIR"
    return
  fi
  local dir
  dir=$(llama_build_dir)
  if [ ! -f "$dir/BUILD_INFO" ]; then
    mkdir -p "$OPTBENCH_CACHE/llama.cpp"
    (
      flock 9
      [ -f "$dir/BUILD_INFO" ] || llama_build "$dir"
    ) 9>"$OPTBENCH_CACHE/llama.cpp/.lock"
  fi
  [ -f "$dir/BUILD_INFO" ] || fail "llama.cpp build did not finish; see $OPTBENCH_CACHE/llama.cpp/build.log"
  printf '%s\n' "$dir/bin"
}

# The vocabulary that the generated model borrows; it comes from the same llama.cpp tree.
llama_vocab_file() {
  local bin_dir
  bin_dir=$(llama_bin_dir)
  if [ -f "$bin_dir/../models/ggml-vocab-llama-spm.gguf" ]; then
    printf '%s\n' "$(cd "$bin_dir/../models" && pwd)/ggml-vocab-llama-spm.gguf"
  elif [ -n "${OPTBENCH_LLAMA_VOCAB:-}" ] && [ -f "$OPTBENCH_LLAMA_VOCAB" ]; then
    printf '%s\n' "$OPTBENCH_LLAMA_VOCAB"
  else
    fail "no ggml-vocab-llama-spm.gguf beside $bin_dir; set OPTBENCH_LLAMA_VOCAB to one from a llama.cpp tree"
  fi
}

llama_build() {
  local dir=$1 backend work log cmake_args started
  backend=$(llama_backend)
  work="$OPTBENCH_CACHE/llama.cpp/work-$$"
  log="$OPTBENCH_CACHE/llama.cpp/build.log"
  started=$(date +%s)
  for tool in git cmake npm c++; do
    command -v "$tool" >/dev/null 2>&1 || fail "building llama.cpp needs '$tool' on PATH"
  done
  rm -rf "$work" && mkdir -p "$work"
  say "building llama.cpp from node-llama-cpp@$NODE_LLAMA_CPP_VERSION ($backend backend); log: $log"
  : >"$log"
  say "  fetching node-llama-cpp@$NODE_LLAMA_CPP_VERSION from the npm registry"
  (cd "$work" && npm pack --silent "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >>"$log" 2>&1) \
    || fail "npm pack node-llama-cpp@$NODE_LLAMA_CPP_VERSION failed; see $log"
  tar -xzf "$work/node-llama-cpp-$NODE_LLAMA_CPP_VERSION.tgz" -C "$work" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json \
    || fail "node-llama-cpp@$NODE_LLAMA_CPP_VERSION has no llama/gitRelease.bundle"
  say "  cloning the llama.cpp release from its git bundle"
  git clone --quiet "$work/package/llama/gitRelease.bundle" "$work/src" >>"$log" 2>&1 || fail "git clone of the bundle failed; see $log"
  cmake_args=(-S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DCMAKE_BUILD_RPATH_USE_ORIGIN=ON -DCMAKE_BUILD_RPATH='$ORIGIN')
  # Extra CMake arguments, e.g. the portable build of the worker image (deploy/images/worker/Dockerfile).
  if [ -n "${OPTBENCH_LLAMA_CMAKE_ARGS:-}" ]; then
    local extra_args
    read -ra extra_args <<<"$OPTBENCH_LLAMA_CMAKE_ARGS"
    cmake_args+=("${extra_args[@]}")
  fi
  local amx
  amx=$(llama_amx_flags)
  [ -n "$amx" ] && cmake_args+=("-DCMAKE_C_FLAGS=$amx" "-DCMAKE_CXX_FLAGS=$amx")
  if [ "$backend" = cuda ]; then
    cmake_args+=(-DGGML_CUDA=ON)
    [ -n "${CMAKE_CUDA_ARCHITECTURES:-}" ] && cmake_args+=("-DCMAKE_CUDA_ARCHITECTURES=$CMAKE_CUDA_ARCHITECTURES")
  fi
  say "  configuring with CMake"
  cmake "${cmake_args[@]}" >>"$log" 2>&1 || fail "cmake configure failed; see $log"
  say "  compiling ${LLAMA_TARGETS[*]} on $(nproc) cores (about 7 minutes on 2 cores for the CPU backend)"
  local last=""
  cmake --build "$work/build" --config Release -j "$(nproc)" --target "${LLAMA_TARGETS[@]}" 2>&1 \
    | tee -a "$log" | while IFS= read -r line; do
        if [[ $line =~ Built\ target\ (llama-[a-z]+)$ ]]; then
          say "  built ${BASH_REMATCH[1]}"
        elif [[ $line =~ ^\[\ *([0-9]+)%\] ]] && [ $((BASH_REMATCH[1] / 25)) != "$last" ]; then
          last=$((BASH_REMATCH[1] / 25))
          say "  compiling: ${BASH_REMATCH[1]}% of the current target"
        fi
      done
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "llama.cpp build failed; see $log"
  rm -rf "$dir" && mkdir -p "$dir/bin" "$dir/models"
  cp -a "$work/build/bin/." "$dir/bin/"
  cp "$work/src/models/ggml-vocab-llama-spm.gguf" "$dir/models/"
  "$dir/bin/llama-server" --version >"$dir/VERSION" 2>&1 || fail "the built llama-server does not run; see $dir/VERSION"
  {
    echo "node_llama_cpp_version=$NODE_LLAMA_CPP_VERSION"
    echo "llama_cpp_release=$(sed -n 's/.*"release": *"\([^"]*\)".*/\1/p' "$work/package/llama/binariesGithubRelease.json")"
    echo "llama_cpp_commit=$(git -C "$work/src" rev-parse HEAD)"
    echo "backend=$backend"
    echo "recipe=$LLAMA_BUILD_RECIPE"
    echo "cflags=${amx:-}"
    echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "build_seconds=$(( $(date +%s) - started ))"
  } >"$dir/BUILD_INFO"
  rm -rf "$work"
  say "  llama.cpp ready in $dir/bin ($(( $(date +%s) - started )) s)"
}
