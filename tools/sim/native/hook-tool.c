/*
 * charm-sim's hook-tool client, compiled: what every hook tool on a charm's PATH runs (each tool
 * is a symlink to this binary; the tool is the name it was called by). It sends the call to the
 * simulator over the unit's agent socket and prints what the simulator answers, as a real Juju
 * unit's hook tools talk to its agent. Started once per tool call, so it does as little as a
 * process can: no allocation beyond the request and the answer, no library but libc.
 *
 * The wire format is src/hook-wire.ts's (netstrings, `<length>:<bytes>,`):
 *   request  context id, tool, "1" + stdin or "0" + "", then one netstring per argument;
 *            the client then shuts down its writing side;
 *   answer   exit code, stdout, stderr.
 *
 * `--file PATH` / `--file=PATH` (PATH `-` is stdin) and, for secret-*, `key#file=PATH` name files
 * only the charm container can see: they are read here, and sent as stdin (`--file -`) or inline
 * (`key=<content>`), as src/hook-tool-main.ts does.
 *
 * Usage: <tool> [args…] (a symlink named after the tool), or hook-tool <tool> [args…].
 * Build: cc -O2 -o dist/hook-tool native/hook-tool.c (scripts/build.mjs does it when a C
 * compiler is there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The simulator refuses requests over 64 MiB; an answer is never larger either. */
#define MAX_MESSAGE (64u * 1024u * 1024u)

struct buf {
  char *data;
  size_t len;
  size_t cap;
};

static const char *tool = "hook-tool";

static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("ERROR ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void reserve(struct buf *b, size_t more) {
  if (more > MAX_MESSAGE || b->len + more > MAX_MESSAGE)
    fail("%s: the call is larger than %u MiB", tool, MAX_MESSAGE >> 20);
  if (b->len + more <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) cap *= 2;
  char *data = realloc(b->data, cap);
  if (!data) fail("%s: out of memory", tool);
  b->data = data;
  b->cap = cap;
}

static void append(struct buf *b, const void *bytes, size_t len) {
  reserve(b, len);
  memcpy(b->data + b->len, bytes, len);
  b->len += len;
}

static void netstring(struct buf *b, const void *bytes, size_t len) {
  char head[32];
  int n = snprintf(head, sizeof head, "%zu:", len);
  append(b, head, (size_t)n);
  append(b, bytes, len);
  append(b, ",", 1);
}

static void netstring_str(struct buf *b, const char *s) { netstring(b, s, strlen(s)); }

/* Reads all of fd into b (up to MAX_MESSAGE); returns 0, or an errno. */
static int read_all(int fd, struct buf *b) {
  for (;;) {
    reserve(b, 65536);
    ssize_t n = read(fd, b->data + b->len, b->cap - b->len);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    b->len += (size_t)n;
  }
}

static void read_file(const char *path, struct buf *into) {
  int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("%s: cannot read %s: %s", tool, path, strerror(errno));
  int err = read_all(fd, into);
  if (err) fail("%s: cannot read %s: %s", tool, path, strerror(err));
  if (fd != 0) close(fd);
}

static int write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    len -= (size_t)n;
  }
  return 0;
}

/* `key#file=PATH` as src/hook-tool-main.ts matches it: /^([^=#]+)#file=(.+)$/. */
static const char *inline_file(const char *arg, size_t *key_len) {
  size_t k = strcspn(arg, "=#");
  if (k == 0 || strncmp(arg + k, "#file=", 6) != 0) return NULL;
  const char *path = arg + k + 6;
  if (*path == '\0' || strpbrk(path, "\r\n")) return NULL;
  *key_len = k;
  return path;
}

/* Parses one netstring at *at; returns its start, or NULL when malformed. */
static const char *next_field(const struct buf *b, size_t *at, size_t *len) {
  size_t i = *at, n = 0, digits = 0;
  while (i < b->len && b->data[i] >= '0' && b->data[i] <= '9' && digits < 10) {
    n = n * 10 + (size_t)(b->data[i] - '0');
    i++;
    digits++;
  }
  if (digits == 0 || i >= b->len || b->data[i] != ':') return NULL;
  i++;
  if (n + 1 > b->len - i || b->data[i + n] != ',') return NULL;
  *at = i + n + 1;
  *len = n;
  return b->data + i;
}

int main(int argc, char **argv) {
  const char *self = strrchr(argv[0], '/');
  self = self ? self + 1 : argv[0];
  int first = 1;
  if (strcmp(self, "hook-tool") == 0) {
    if (argc < 2) fail("usage: hook-tool TOOL [ARGS...] (or call it by a tool's name)");
    self = argv[1];
    first = 2;
  }
  tool = self;
  signal(SIGPIPE, SIG_IGN);

  const char *socket_path = getenv("JUJU_AGENT_SOCKET_ADDRESS");
  if (!socket_path || !*socket_path)
    fail("%s: JUJU_AGENT_SOCKET_ADDRESS is not set (run inside a hook)", tool);
  const char *context = getenv("JUJU_CONTEXT_ID");

  struct buf stdin_data = {0};
  int has_stdin = 0;
  struct buf args = {0};
  int secret_tool = strncmp(tool, "secret-", 7) == 0;
  for (int i = first; i < argc; i++) {
    const char *arg = argv[i];
    const char *file = NULL;
    if (strcmp(arg, "--file") == 0) {
      if (i + 1 < argc) file = argv[++i];
      else {
        i++;
        netstring_str(&args, arg);
        continue;
      }
    } else if (strncmp(arg, "--file=", 7) == 0) {
      file = arg + 7;
    }
    if (file) {
      stdin_data.len = 0;
      read_file(file, &stdin_data);
      has_stdin = 1;
      netstring_str(&args, "--file");
      netstring_str(&args, "-");
      continue;
    }
    size_t key_len;
    const char *path = secret_tool ? inline_file(arg, &key_len) : NULL;
    if (path) {
      struct buf value = {0};
      append(&value, arg, key_len);
      append(&value, "=", 1);
      read_file(path, &value);
      netstring(&args, value.data, value.len);
      free(value.data);
      continue;
    }
    netstring_str(&args, arg);
  }

  struct buf request = {0};
  netstring_str(&request, context ? context : "");
  netstring_str(&request, tool);
  netstring_str(&request, has_stdin ? "1" : "0");
  netstring(&request, stdin_data.data ? stdin_data.data : "", stdin_data.len);
  append(&request, args.data ? args.data : "", args.len);

  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(socket_path) >= sizeof addr.sun_path)
    fail("cannot reach the charm-sim agent at %s: the path is too long", socket_path);
  strcpy(addr.sun_path, socket_path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0)
    fail("cannot reach the charm-sim agent at %s: %s", socket_path, strerror(errno));
  int err = write_all(fd, request.data, request.len);
  if (err) fail("cannot reach the charm-sim agent at %s: %s", socket_path, strerror(err));
  shutdown(fd, SHUT_WR);

  struct buf answer = {0};
  err = read_all(fd, &answer);
  if (err) fail("cannot reach the charm-sim agent at %s: %s", socket_path, strerror(err));
  size_t at = 0, code_len, out_len, err_len;
  const char *code = next_field(&answer, &at, &code_len);
  const char *out = code ? next_field(&answer, &at, &out_len) : NULL;
  const char *errs = out ? next_field(&answer, &at, &err_len) : NULL;
  if (!errs || at != answer.len || code_len == 0 || code_len > 3)
    fail("%s: the charm-sim agent at %s sent a malformed answer", tool, socket_path);
  int exit_code = 0;
  for (size_t i = 0; i < code_len; i++) {
    if (code[i] < '0' || code[i] > '9')
      fail("%s: the charm-sim agent at %s sent a malformed answer", tool, socket_path);
    exit_code = exit_code * 10 + (code[i] - '0');
  }
  if (exit_code > 255) fail("%s: the charm-sim agent at %s sent a malformed answer", tool, socket_path);
  write_all(1, out, out_len);
  write_all(2, errs, err_len);
  return exit_code;
}
