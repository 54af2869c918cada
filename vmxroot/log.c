// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's log: a byte ring in one page of Linux memory that the module
 * copies to the kernel log, plus COM1 for the fatal path, where Linux may no
 * longer run to read the ring.  Never log secrets.
 */
#include <stdarg.h>
#include "vmxroot/vmxroot.h"
#include "vmxroot/processor.h"

#define COM1 0x3f8

static int fmt_num(char *out, u64 v, unsigned int base, int width, bool neg)
{
	char tmp[24];
	int n = 0, len = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		out[len++] = '-';
	while (n < width)
		tmp[n++] = '0';
	while (n)
		out[len++] = tmp[--n];
	return len;
}

/* A small vsnprintf: %s %c %d %u %x %llx %lx %p and a zero-pad width. */
static int tv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t pos = 0;
	char num[32];

	for (; *fmt; fmt++) {
		const char *s = num;
		int len = 0, width = 0, lng = 0;

		if (*fmt != '%') {
			num[0] = *fmt;
			len = 1;
			goto emit;
		}
		fmt++;
		while (*fmt == '0')
			fmt++;
		while (*fmt >= '1' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			while (s[len])
				len++;
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			len = 1;
			break;
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			len = fmt_num(num, v < 0 ? -(u64)v : (u64)v, 10, width, v < 0);
			break;
		}
		case 'u':
			len = fmt_num(num, lng ? va_arg(ap, u64) : va_arg(ap, u32), 10, width, false);
			break;
		case 'x':
			len = fmt_num(num, lng ? va_arg(ap, u64) : va_arg(ap, u32), 16, width, false);
			break;
		case 'p':
			len = fmt_num(num, (u64)va_arg(ap, void *), 16, 16, false);
			break;
		default:
			num[0] = '%';
			num[1] = *fmt;
			len = 2;
			if (!*fmt)
				fmt--;
		}
emit:
		while (len--) {
			if (pos + 1 < size)
				buf[pos] = *s;
			pos++;
			s++;
		}
	}
	if (size)
		buf[pos < size ? pos : size - 1] = 0;
	return (int)pos;
}

static void log_ring_write(const char *s, int len)
{
	struct tv_shared_page *lp;
	u64 cap, head;

	if (!monitor.params.log_virt || monitor.params.log_size <= sizeof(*lp))
		return;
	/* Linux's address for the page: host_paging_init maps it there for us too. */
	lp = (struct tv_shared_page *)monitor.params.log_virt;
	cap = monitor.params.log_size - sizeof(*lp);
	head = __atomic_fetch_add(&lp->head, (u64)len, __ATOMIC_RELAXED);
	for (int i = 0; i < len; i++)
		lp->buf[(head + i) % cap] = s[i];
}

static void serial_write(const char *s, int len)
{
	for (int i = 0; i < len; i++) {
		for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
			cpu_relax();
		outb(COM1, (u8)s[i]);
	}
}

static void log_emit(bool to_serial, const char *fmt, va_list ap)
{
	char buf[192];
	int len = tv_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	log_ring_write(buf, len);
	if (to_serial)
		serial_write(buf, len);
}

void tv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(false, fmt, ap);
	va_end(ap);
}

/* For states where Linux may never read the ring again: also to COM1. */
void tv_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(true, fmt, ap);
	va_end(ap);
}
