#!/bin/sh
# Starts the app on a nearly full disk, to see what a member sees when the disk fills up.
# A private tmpfs is mounted over $LVZHI_E2E_SMALL_DISK inside a user and mount namespace (no
# root needed, nothing changes outside this process), $LVZHI_E2E_SEED is copied to $LVZHI_DB
# on it, and the rest of the disk is filled but for 64 KiB: room to open the ledger (its
# 32 KiB shared-memory file), not to save a long record. Then $LVZHI_E2E_APP runs, with the
# arguments WebKitWebDriver gave this script.
set -eu
exec unshare --user --map-root-user --mount sh -eu -c '
  mount -t tmpfs -o size=4m lvzhi-e2e "$LVZHI_E2E_SMALL_DISK"
  cp "$LVZHI_E2E_SEED" "$LVZHI_DB"
  free=$(df -k --output=avail "$LVZHI_E2E_SMALL_DISK" | tail -n 1)
  dd if=/dev/zero of="$LVZHI_E2E_SMALL_DISK/filler" bs=1k count=$((free - 64)) 2>/dev/null
  exec "$LVZHI_E2E_APP" "$@"' sh "$@"
