package csim

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Parallel attachVolume calls to one VM get distinct device ids: an attach
// in flight reserves its id (issue 8 #11 saw 20 calls share one). Run with
// -race: the calls go through the HTTP handler concurrently.
func TestParallelAttachDistinctDevices(t *testing.T) {
	s, hs, clk := newTestServer(t)
	ws, zone, off := s.w.vms[0], s.w.zones[0].id, s.w.diskOffers[0].id
	const n = 20
	vols := make([]string, n)
	for i := range vols {
		_, body := call(t, hs, http.MethodPost, "secret", map[string]string{"command": "createVolume",
			"name": fmt.Sprintf("p%d", i), "diskofferingid": off, "size": "1", "zoneid": zone})
		vols[i], _ = body["id"].(string)
	}
	clk.t = clk.t.Add(time.Minute) // the creates are done; the clock stays still during the attaches
	codes := make([]int, n)
	texts := make([]string, n)
	var wg sync.WaitGroup
	for i := range vols {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, body := call(t, hs, http.MethodPost, "secret", map[string]string{"command": "attachVolume", "id": vols[i], "virtualmachineid": ws.id})
			codes[i] = code
			texts[i], _ = body["errortext"].(string)
		}()
	}
	wg.Wait()
	clk.t = clk.t.Add(time.Minute)
	ok, refused := 0, 0
	for i := range codes {
		switch {
		case codes[i] == 200:
			ok++
		case codes[i] == 431 && strings.Contains(texts[i], "has no free device id: 1 to 15 are attached or being attached"):
			refused++
		default:
			t.Errorf("attach %d: %d %q", i, codes[i], texts[i])
		}
	}
	// The workstation has its root at 0 and data disks at 1 and 2: 13 fit.
	if ok != 13 || refused != 7 {
		t.Errorf("%d attached, %d refused; want 13 and 7", ok, refused)
	}
	_, l := call(t, hs, http.MethodGet, "secret", map[string]string{"command": "listVolumes", "virtualmachineid": ws.id})
	var ids []int
	seen := map[float64]string{}
	list, _ := l["volume"].([]any)
	for _, x := range list {
		v := x.(map[string]any)
		d, _ := v["deviceid"].(float64)
		if other, dup := seen[d]; dup {
			t.Errorf("device id %v used by %s and %s", d, other, v["name"])
		}
		seen[d] = v["name"].(string)
		ids = append(ids, int(d))
	}
	sort.Ints(ids)
	if len(ids) != 16 || ids[0] != 0 || ids[15] != 15 {
		t.Errorf("device ids on the VM: %v, want 0 to 15", ids)
	}
}

// A failed attach gives its reserved device id back.
func TestFailedAttachFreesDevice(t *testing.T) {
	s, hs, clk := newTestServer(t)
	ws, zone, off := s.w.vms[0], s.w.zones[0].id, s.w.diskOffers[0].id
	s.AddFault(Fault{Command: "attachVolume", Kind: FaultJobFail, Code: 530, Count: 1})
	var vols []string
	for i := 0; i < 2; i++ {
		_, body := call(t, hs, http.MethodPost, "secret", map[string]string{"command": "createVolume",
			"name": fmt.Sprintf("f%d", i), "diskofferingid": off, "size": "1", "zoneid": zone})
		vols = append(vols, body["id"].(string))
	}
	clk.t = clk.t.Add(time.Minute)
	call(t, hs, http.MethodPost, "secret", map[string]string{"command": "attachVolume", "id": vols[0], "virtualmachineid": ws.id, "deviceid": "5"})
	code, body := call(t, hs, http.MethodPost, "secret", map[string]string{"command": "attachVolume", "id": vols[1], "virtualmachineid": ws.id, "deviceid": "5"})
	if code != 431 || !strings.Contains(body["errortext"].(string), "deviceId 5 is used") {
		t.Errorf("second attach at a reserved id: %d %v", code, body)
	}
	clk.t = clk.t.Add(time.Minute) // the first attach fails
	code, body = call(t, hs, http.MethodPost, "secret", map[string]string{"command": "attachVolume", "id": vols[1], "virtualmachineid": ws.id, "deviceid": "5"})
	if code != 200 {
		t.Errorf("attach after the failed one: %d %v", code, body)
	}
}
