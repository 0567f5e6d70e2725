package csim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The simulated cloud as JSON: the "cloudstack" part of a saved world
// (vrun --sim-state). Credentials, clock, faults and job durations belong
// to the run, not the world, and are not saved.
//
// Time: objects' "created" and a job's shown_created and shown_completed
// are wall-clock times, as clients saw them; "clock" and a job's created,
// due, completed and stages are simulated times. Between two runs the cloud stands still. A world records the
// simulated time of its last request ("clock"); the next run's simulated
// time goes on from there, so a job that was running (an interrupted
// wait) resumes with the time it had left: a re-run rehearses meeting a
// busy volume, or re-attaching to the job by its id, and the job then ends
// as it would have. Stuck jobs stay stuck. Saving changes nothing, so a
// world saved twice is the same file.
type worldJSON struct {
	Seq              int               `json:"seq"`   // id counter: ids continue after a reload
	Clock            time.Time         `json:"clock"` // simulated time of the last request
	Zones            []zoneJSON        `json:"zones"`
	DiskOfferings    []diskOfferJSON   `json:"disk_offerings"`
	ServiceOfferings []svcOfferJSON    `json:"service_offerings"`
	OSTypes          []osTypeJSON      `json:"os_types"`
	Templates        []templateJSON    `json:"templates"`
	VMs              []vmJSON          `json:"vms"`
	Volumes          []volumeJSONState `json:"volumes"`
	Snapshots        []snapshotJSON    `json:"snapshots"`
	Jobs             []jobJSON         `json:"jobs"`
}

type zoneJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type diskOfferJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	SizeGB     int64  `json:"size_gb"`
	Customized bool   `json:"customized"`
}

type svcOfferJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	CPUs   int    `json:"cpus"`
	MHz    int    `json:"mhz"`
	Memory int    `json:"memory_mb"`
}

type osTypeJSON struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Category    string `json:"category"`
}

type templateJSON struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	DisplayText    string    `json:"displaytext"`
	OSTypeID       string    `json:"ostypeid"`
	ZoneID         string    `json:"zoneid"`
	Size           int64     `json:"size"`
	Ready          bool      `json:"ready"`
	Featured       bool      `json:"featured"`
	Created        time.Time `json:"created"`
	Content        string    `json:"content,omitempty"`
	SourceSnapshot string    `json:"sourcesnapshotid,omitempty"`
}

type vmJSON struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	DisplayName string    `json:"displayname"`
	State       string    `json:"state"`
	ZoneID      string    `json:"zoneid"`
	TemplateID  string    `json:"templateid"`
	ServiceID   string    `json:"serviceofferingid"`
	Group       string    `json:"group,omitempty"`
	IP          string    `json:"ip"`
	UserData    string    `json:"userdata,omitempty"`
	Created     time.Time `json:"created"`
}

type volumeJSONState struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	State          string    `json:"state"`
	ZoneID         string    `json:"zoneid"`
	DiskOfferingID string    `json:"diskofferingid,omitempty"`
	Size           int64     `json:"size"`
	VMID           string    `json:"virtualmachineid,omitempty"`
	DeviceID       int       `json:"deviceid"`
	Created        time.Time `json:"created"`
	Content        string    `json:"content,omitempty"`
	Busy           string    `json:"busy_job,omitempty"`
	Attaching      string    `json:"attaching_to,omitempty"`
	AttachDev      int       `json:"attaching_deviceid,omitempty"`
}

type snapshotJSON struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	VolumeID string    `json:"volumeid"`
	State    string    `json:"state"`
	ZoneID   string    `json:"zoneid"`
	Size     int64     `json:"size"`
	Created  time.Time `json:"created"`
	Content  string    `json:"content,omitempty"`
}

type jobJSON struct {
	ID           string     `json:"id"`
	API          string     `json:"api"`
	InstanceType string     `json:"instancetype,omitempty"`
	InstanceID   string     `json:"instanceid,omitempty"`
	Created      time.Time  `json:"created"`
	Due          time.Time  `json:"due"`
	Completed    *time.Time `json:"completed,omitempty"`
	// What clients were shown (wall clock); created, due and completed
	// above are the job's simulated times.
	ShownCreated *time.Time       `json:"shown_created,omitempty"`
	ShownDone    *time.Time       `json:"shown_completed,omitempty"`
	Status       int              `json:"status"`
	ResultCode   int              `json:"resultcode"`
	Result       json.RawMessage  `json:"result,omitempty"`
	Stages       []stageJSON      `json:"stages,omitempty"`
	Fault        *Fault           `json:"fault,omitempty"`
	VMID         string           `json:"vmid,omitempty"`
	Device       int              `json:"deviceid,omitempty"`
	First        bool             `json:"first,omitempty"`
	Start        bool             `json:"startvm,omitempty"`
	Expunge      bool             `json:"expunge,omitempty"`
	Root         *volumeJSONState `json:"root_volume,omitempty"`
}

type stageJSON struct {
	At    time.Time `json:"at"`
	State string    `json:"state"`
}

// MarshalJSON saves the simulated cloud as of its last request.
func (s *Server) MarshalJSON() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, err := s.w.toJSON()
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// UnmarshalJSON replaces the simulated cloud with a saved one. A world that
// does not hold together (a volume on a VM that does not exist, two objects
// with one id, an unknown state) is refused, not half-loaded.
func (s *Server) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return errors.New("null, want the simulated cloud (zones, volumes, ...)")
	}
	var wj worldJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&wj); err != nil {
		return err
	}
	w, err := wj.world()
	if err != nil {
		return err
	}
	if err := w.check(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if now := s.clock.Now(); w.last.IsZero() || !now.Add(w.last.Sub(now)).Equal(w.last) {
		return fmt.Errorf("clock %s: want the time of the world's last request, within two centuries of now", wj.Clock)
	}
	s.w, s.loaded, s.offset = w, true, w.last.Sub(s.clock.Now())
	return nil
}
