#!/bin/sh
# /init of the test initramfs (busybox).  Mounts the pseudo file systems,
# runs /selftests/lane-<LANE>.sh with its output on the serial console, then
# prints "TV-LANE-END rc=N" and powers off.  LANE comes from /etc/tv-lane,
# written by scripts/mkinitramfs.sh.
export PATH=/selftests:/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

# All output of the lane goes to the serial console.
exec </dev/null >/dev/ttyS0 2>&1

lane=$(cat /etc/tv-lane 2>/dev/null)
cp /etc/tv-emulator /tmp/tv-emulator 2>/dev/null
script=/selftests/lane-$lane.sh
echo "TV-LANE-BEGIN lane=$lane uptime=$(cut -d' ' -f1 /proc/uptime)"
if [ -z "$lane" ]; then
	echo "tv-init: no lane name in /etc/tv-lane"
	rc=127
elif [ ! -f "$script" ]; then
	echo "tv-init: lane script $script does not exist (payload has: $(ls /selftests 2>/dev/null | tr '\n' ' '))"
	rc=127
else
	cd /selftests
	if [ -x "$script" ]; then
		"$script"
	else
		sh "$script"
	fi
	rc=$?
	cd /
fi
echo "tv-init: lane finished at uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "TV-LANE-END rc=$rc"
# The power-off is part of some lanes (reboot notifiers): let its lines show.
echo 7 > /proc/sys/kernel/printk
sync
sleep 1
poweroff -f
