// SPDX-License-Identifier: GPL-2.0
/*
 * Linux keeps working under the monitor: for a while, on every CPU at once,
 * processes fork and exec, files are written, synced and read back, data
 * crosses pipes, signals are delivered and interval timers fire.  Every
 * result is checked, not just survived.
 * usage: tv_workload [SECONDS]   (default 20, as the kselftest runner runs it)
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include "tv_vm.h"

enum { W_PROC, W_FILE, W_PIPE, W_SIGNAL, W_TIMER, W_KINDS };
static const char *const kind_name[W_KINDS] = {
	"processes (fork+exec+wait)", "files (write+fsync+read back)",
	"pipes (checksummed transfer)", "signals (sent and counted)",
	"interval timers (fired and counted)",
};

static volatile sig_atomic_t sig_count, alarm_count;

static void on_usr1(int s) { (void)s; sig_count++; }
static void on_alarm(int s) { (void)s; alarm_count++; }

static uint32_t fill(uint8_t *buf, size_t n, uint32_t seed)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		buf[i] = seed >> 16;
		sum = sum * 31 + buf[i];
	}
	return sum;
}

static uint32_t checksum(const uint8_t *buf, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + buf[i];
	return sum;
}

static int run_proc(int iter)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit $(( 3 + 4 ))", (char *)NULL);
		_exit(99);
	}
	(void)iter;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7;
}

static int run_file(int id, int iter)
{
	uint8_t out[16384], in[16384];
	char path[64];
	uint32_t sum = fill(out, sizeof(out), id * 7919 + iter);
	int ok, f;

	snprintf(path, sizeof(path), "/tmp/tv-work-%d", id);
	f = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	ok = f >= 0 && write(f, out, sizeof(out)) == sizeof(out) && fsync(f) == 0 &&
	     lseek(f, 0, SEEK_SET) == 0 && read(f, in, sizeof(in)) == sizeof(in) &&
	     checksum(in, sizeof(in)) == sum;
	if (f >= 0)
		close(f);
	unlink(path);
	return ok;
}

static int run_pipe(int id, int iter)
{
	uint8_t buf[8192], got[8192];
	uint32_t sum = fill(buf, sizeof(buf), id * 104729 + iter);
	int p[2], st;
	size_t have = 0;
	pid_t pid;

	if (pipe(p))
		return 0;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		_exit(write(p[1], buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	close(p[1]);
	while (have < sizeof(got)) {
		ssize_t n = read(p[0], got + have, sizeof(got) - have);

		if (n <= 0)
			break;
		have += n;
	}
	close(p[0]);
	waitpid(pid, &st, 0);
	return have == sizeof(got) && checksum(got, have) == sum && WIFEXITED(st) &&
	       !WEXITSTATUS(st);
}

static int run_signal(void)
{
	sig_atomic_t before = sig_count;

	kill(getpid(), SIGUSR1);
	return sig_count == before + 1;
}

/* One worker: every kind, in turn, until the deadline; result bits per kind. */
static int worker(int id, int cpu, time_t deadline)
{
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	int fails[W_KINDS] = { 0 }, iter = 0, mask = 0;

	pin_to_cpu(cpu);
	signal(SIGUSR1, on_usr1);
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	while (time(NULL) < deadline) {
		fails[W_PROC] += !run_proc(iter);
		fails[W_FILE] += !run_file(id, iter);
		fails[W_PIPE] += !run_pipe(id, iter);
		fails[W_SIGNAL] += !run_signal();
		iter++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	fails[W_TIMER] = alarm_count < 10;
	for (int k = 0; k < W_KINDS; k++)
		if (fails[k] || !iter)
			mask |= 1 << k;
	ksft_print_msg("worker %d on CPU %d: %d rounds, %d timer ticks, fail mask %#x\n", id, cpu,
		       iter, (int)alarm_count, mask);
	return mask;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 20;
	int n = nr_cpus_online(), workers = 2 * n, mask = 0;
	time_t deadline = time(NULL) + secs;

	tv_ksft_start(W_KINDS + 1);
	for (int i = 0; i < workers; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(worker(i, i % n, deadline));
	}
	for (int i = 0; i < workers; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st))
			mask |= 1 << W_KINDS;
		else
			mask |= WEXITSTATUS(st);
	}
	ksft_test_result(!(mask & (1 << W_KINDS)),
			 "%d workers on %d CPUs ran %d s and exited normally\n", workers, n, secs);
	for (int k = 0; k < W_KINDS; k++)
		ksft_test_result(!(mask & (1 << k)), "%s\n", kind_name[k]);
	ksft_finished();
}
