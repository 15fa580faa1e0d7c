/*
 * mapwatch TITLE: waits, without polling, until a top-level window titled TITLE is mapped on
 * the X display, then prints "mapped" and exits. Prints "ready" once it listens, so the
 * caller can start the app after that line and lose no event.
 *
 * `tests/bench/startup.mjs` used to run `xwininfo -root -tree` every 10 ms instead: a new
 * process and a walk of the whole window tree a hundred times a second, on the same two
 * cores the app starts on (measured, it did not change the first screen's time), and it
 * counted a window of that title once it existed, mapped or not.
 *
 * It looks at the root window's own children only: under a bare X server, as the bench runs
 * (tests/e2e/with-xvfb.sh starts Xvfb and no window manager), those are the top-level
 * windows. A window manager that puts each window in a frame of its own would hide the
 * title one level down, and this would wait until the bench gives up (30 s).
 *
 * Built by startup.mjs with the system's cc and Xlib (libx11-dev, from make deps).
 */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <string.h>

static int titled(Display *d, Window w, const char *title) {
    Atom net_wm_name = XInternAtom(d, "_NET_WM_NAME", False);
    Atom utf8 = XInternAtom(d, "UTF8_STRING", False);
    Atom type;
    int format;
    unsigned long n, after;
    unsigned char *value = NULL;
    int same = 0;
    if (XGetWindowProperty(d, w, net_wm_name, 0, 1024, False, utf8, &type, &format, &n, &after,
                           &value) == Success && value) {
        same = strcmp((const char *)value, title) == 0;
        XFree(value);
        if (same) return 1;
    }
    char *name = NULL;
    if (XFetchName(d, w, &name) && name) {
        same = strcmp(name, title) == 0;
        XFree(name);
    }
    return same;
}

static int ignore_errors(Display *d, XErrorEvent *e) {
    (void)d;
    (void)e;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: mapwatch TITLE\n");
        return 2;
    }
    Display *d = XOpenDisplay(NULL);
    if (!d) {
        fprintf(stderr, "mapwatch: no X display\n");
        return 1;
    }
    /* A window can be gone by the time its title is asked for. */
    XSetErrorHandler(ignore_errors);
    Window root = DefaultRootWindow(d);
    XSelectInput(d, root, SubstructureNotifyMask);
    XSync(d, False);
    printf("ready\n");
    fflush(stdout);
    /* Windows mapped before their title was set: watched for the title from then on. */
    for (;;) {
        XEvent e;
        XNextEvent(d, &e);
        Window w = 0;
        if (e.type == MapNotify && e.xmap.event == root) {
            w = e.xmap.window;
            XSelectInput(d, w, PropertyChangeMask);
        } else if (e.type == PropertyNotify) {
            XWindowAttributes a;
            if (XGetWindowAttributes(d, e.xproperty.window, &a) && a.map_state != IsUnmapped)
                w = e.xproperty.window;
        }
        if (w && titled(d, w, argv[1])) {
            printf("mapped\n");
            fflush(stdout);
            return 0;
        }
    }
}
