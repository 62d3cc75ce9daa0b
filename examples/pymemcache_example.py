"""Using redwing's memcached port from Python with pymemcache, exactly as with memcached.

Start a server with the memcached protocol on, e.g.

    npx redwing-server --memcached-port 11211

then run `python3 examples/pymemcache_example.py 127.0.0.1 11211`. Every call below is
checked against what memcached answers; the script exits non-zero on the first difference.
"""

import sys

from pymemcache.client.base import Client


def check(label, actual, expected):
    if actual != expected:
        sys.exit(f"{label}: got {actual!r}, expected {expected!r}")


def main(host, port):
    client = Client((host, port))
    client.flush_all()

    check("set", client.set("greeting", b"hello", expire=300), True)
    check("get", client.get("greeting"), b"hello")
    check("get_many", client.get_many(["greeting", "missing"]), {"greeting": b"hello"})

    check("add (exists)", client.add("greeting", b"again", noreply=False), False)
    check("add (new)", client.add("fresh", b"1", noreply=False), True)
    check("replace (missing)", client.replace("nobody", b"x", noreply=False), False)
    check("replace", client.replace("fresh", b"2", noreply=False), True)

    check("append", client.append("greeting", b" world", noreply=False), True)
    check("prepend", client.prepend("greeting", b">> ", noreply=False), True)
    check("get after append/prepend", client.get("greeting"), b">> hello world")

    value, cas = client.gets("greeting")
    check("gets", value, b">> hello world")
    check("cas (matching)", client.cas("greeting", b"swapped", cas, noreply=False), True)
    check("cas (stale)", client.cas("greeting", b"lost", cas, noreply=False), False)
    check("cas (missing)", client.cas("nobody", b"x", cas, noreply=False), None)
    check("get after cas", client.get("greeting"), b"swapped")

    client.set("counter", b"10")
    check("incr", client.incr("counter", 5), 15)
    check("decr", client.decr("counter", 20), 0)
    check("incr (missing)", client.incr("nobody", 1), None)
    client.set("counter", b"18446744073709551615")
    check("incr wraps", client.incr("counter", 2), 1)

    check("touch", client.touch("fresh", 100, noreply=False), True)
    check("touch (missing)", client.touch("nobody", 100, noreply=False), False)

    check("delete", client.delete("fresh", noreply=False), True)
    check("delete (missing)", client.delete("fresh", noreply=False), False)

    stats = client.stats()
    for field in (b"pid", b"uptime", b"version", b"curr_connections", b"cmd_get", b"get_hits", b"curr_items"):
        if field not in stats:
            sys.exit(f"stats: no {field!r} in {sorted(stats)}")

    check("flush_all", client.flush_all(noreply=False), True)
    check("get after flush_all", client.get("greeting"), None)
    client.close()
    print("all pymemcache calls behaved as with memcached")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1", int(sys.argv[2]) if len(sys.argv) > 2 else 11211)
