package web

import (
	"net"
	"net/http"
	"strconv"
)

// URLs returns the addresses to open the app at, for a server listening
// on addr (its listener's address). On every address (0.0.0.0, ::) they
// are http://localhost:PORT for this machine and one URL per network
// address of this machine's interfaces: a classroom's devices often
// cannot resolve the machine's host name, but reach its IP address. On
// one address, that address.
func URLs(addr net.Addr) []string {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return []string{"http://" + addr.String()}
	}
	var ifaddrs []net.Addr
	if ta.IP == nil || ta.IP.IsUnspecified() {
		ifaddrs, _ = net.InterfaceAddrs()
	}
	return urls(ta.IP, ta.Port, ifaddrs)
}

// urls is URLs with the interfaces' addresses given.
func urls(ip net.IP, port int, ifaddrs []net.Addr) []string {
	p := strconv.Itoa(port)
	if ip != nil && !ip.IsUnspecified() {
		return []string{"http://" + net.JoinHostPort(ip.String(), p)}
	}
	// 0.0.0.0 listens on IPv4 only; :: (or no address) on both.
	v4only := ip != nil && ip.To4() != nil
	out := []string{"http://localhost:" + p}
	var v6 []string
	for _, a := range ifaddrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		x := n.IP
		// Loopback is localhost above; a link-local address needs a zone
		// (fe80::1%eth0) that no address bar takes.
		if x.IsLoopback() || x.IsLinkLocalUnicast() || x.IsUnspecified() || x.IsMulticast() {
			continue
		}
		u := "http://" + net.JoinHostPort(x.String(), p)
		switch {
		case x.To4() != nil:
			out = append(out, u)
		case !v4only:
			v6 = append(v6, u)
		}
	}
	return append(out, v6...) // IPv4 first: what a classroom types
}

// networkURLs returns, for the page, the addresses at which other devices
// open the app, when this server answers beyond this machine (nil
// otherwise): the address the request came in on if that is a network
// address, else (a request through localhost to a server on every
// address) this machine's network addresses.
func (s *Server) networkURLs(r *http.Request) []string {
	if s.opts.LoopbackOnly {
		return nil
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if !ok {
		return nil
	}
	if !local.IP.IsLoopback() {
		return urls(local.IP, local.Port, nil)
	}
	all := URLs(&net.TCPAddr{IP: net.IPv4zero, Port: local.Port})
	if local.IP.To4() == nil {
		all = URLs(&net.TCPAddr{IP: net.IPv6unspecified, Port: local.Port})
	}
	return all[1:] // not localhost: that is this machine
}
