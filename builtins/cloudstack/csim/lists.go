package csim

import (
	"strconv"
	"strings"
)

// defaultPageSize is the server's default.page.size, its largest page.
const defaultPageSize = 500

// page filters items by the common list parameters and cuts the requested
// page as BaseListCmd and ApiResponseSerializer do: {"count": total, key:
// [...]}; {"count": total} for a page past the end; {} when nothing
// matches. Without page and pagesize a list is cut to the first
// default.page.size items (count still says how many match); pagesize -1
// lists everything.
func (s *Server) page(key string, items []obj, p args) (obj, *apiError) {
	var kept []obj
	for _, it := range items {
		if matches(it, p) {
			kept = append(kept, it)
		}
	}
	size, n := s.pageMax, 1
	ps, pg := p.get("pagesize"), p.get("page")
	if ps != "" || pg != "" {
		if ps == "" {
			return nil, paramError("\"pagesize\" parameter is required when \"page\" is specified")
		}
		var err error
		if size, err = strconv.Atoi(ps); err != nil {
			return nil, invalidValue(p, "pagesize", ps)
		}
		if size == -1 {
			if pg != "" {
				return nil, paramError("\"page\" parameter is not allowed when \"pagesize\" is -1")
			}
			size = len(kept) + 1
		} else {
			if pg == "" {
				return nil, paramError("\"page\" parameter is required when \"pagesize\" is specified")
			}
			if n, err = strconv.Atoi(pg); err != nil {
				return nil, invalidValue(p, "page", pg)
			}
			if n < 1 {
				return nil, paramError("\"page\" parameter is required when \"pagesize\" is specified")
			}
			if size < 1 || size > s.pageMax {
				return nil, paramError("Page size can't exceed max allowed page size value: %d", s.pageMax)
			}
		}
	}
	if len(kept) == 0 {
		return obj{}, nil
	}
	// (n-1)*size overflows for huge pages: compare by division.
	if n-1 >= (len(kept)+size-1)/size {
		return obj{"count": len(kept)}, nil
	}
	start := (n - 1) * size
	end := min(start+size, len(kept))
	return listBody(key, kept[start:end], len(kept)), nil
}

// invalidValue is the server's answer to a number it cannot parse
// (ParamProcessWorker's NumberFormatException).
func invalidValue(p args, name, value string) *apiError {
	return paramError("Unable to execute API command %s due to invalid value %s for parameter %s", strings.ToLower(p.get("command")), value, name)
}

func listBody(key string, items []obj, total int) obj {
	l := make([]any, len(items))
	for i, it := range items {
		l[i] = it
	}
	return obj{"count": total, key: l}
}

// matches applies the exact-match filters a list API takes (id, name,
// zoneid, ...) and keyword as a substring of the name.
func matches(it obj, p args) bool {
	for _, f := range []string{"id", "name", "zoneid", "virtualmachineid", "volumeid", "type", "state", "templateid", "description"} {
		want := p.get(f)
		if want == "" {
			continue
		}
		got, _ := it[f].(string)
		if !strings.EqualFold(got, want) {
			return false
		}
	}
	if kw := p.get("keyword"); kw != "" {
		name, _ := it["name"].(string)
		if !strings.Contains(strings.ToLower(name), strings.ToLower(kw)) {
			return false
		}
	}
	return true
}

func (s *Server) listZones(p args) (obj, *apiError) {
	return s.page("zone", jsonOf(s.w.zones, s.w.zoneJSON), p)
}

func (s *Server) listDiskOfferings(p args) (obj, *apiError) {
	return s.page("diskoffering", jsonOf(s.w.diskOffers, s.w.diskOfferingJSON), p)
}

func (s *Server) listServiceOfferings(p args) (obj, *apiError) {
	return s.page("serviceoffering", jsonOf(s.w.svcOffers, s.w.serviceOfferingJSON), p)
}

func (s *Server) listOsTypes(p args) (obj, *apiError) {
	return s.page("ostype", jsonOf(s.w.osTypes, s.w.osTypeJSON), p)
}

func (s *Server) listTemplates(p args) (obj, *apiError) {
	filter := p.get("templatefilter")
	switch filter {
	case "featured", "self", "selfexecutable", "sharedexecutable", "executable", "community", "all":
	default:
		return nil, paramError("Unable to execute API command listtemplates due to invalid value. Invalid parameter templatefilter value=%s", filter)
	}
	var items []obj
	for _, t := range s.w.templates {
		own := !t.featured
		if (filter == "featured" && !t.featured) || (strings.HasPrefix(filter, "self") && !own) || filter == "sharedexecutable" || filter == "community" {
			continue
		}
		items = append(items, s.w.templateJSON(t))
	}
	return s.page("template", items, p)
}

func (s *Server) listVirtualMachines(p args) (obj, *apiError) {
	var items []obj
	for _, v := range s.w.vms {
		if v.state != "Expunged" {
			items = append(items, s.w.vmJSON(v))
		}
	}
	return s.page("virtualmachine", items, p)
}

func (s *Server) listVolumes(p args) (obj, *apiError) {
	return s.page("volume", jsonOf(s.w.volumes, s.w.volumeJSON), p)
}

func (s *Server) listSnapshots(p args) (obj, *apiError) {
	return s.page("snapshot", jsonOf(s.w.snapshots, s.w.snapshotJSON), p)
}

func (s *Server) listAsyncJobs(p args) (obj, *apiError) {
	var items []obj
	for _, j := range s.w.jobs {
		items = append(items, s.jobJSON(j))
	}
	return s.page("asyncjobs", items, args{"command": p.get("command"), "page": p.get("page"), "pagesize": p.get("pagesize")})
}

func (s *Server) queryAsyncJobResult(p args) (obj, *apiError) {
	id := p.get("jobid")
	j := s.job(id)
	if j == nil {
		return nil, badID("queryAsyncJobResult", "jobid", id)
	}
	return s.jobJSON(j), nil
}

// jsonOf renders each item of a simulator table as its API object.
func jsonOf[T any](items []T, toJSON func(T) obj) []obj {
	out := make([]obj, 0, len(items))
	for _, it := range items {
		out = append(out, toJSON(it))
	}
	return out
}
