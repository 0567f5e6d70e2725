package signing

import (
	"testing"
	"time"
)

const (
	secretA = "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ"
	keyA    = "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg"
	secretC = "bezaSxCEjrWxutJzRdJTStGl4nEWVUDx4YX9Q8DJo6kBiUXWfdq7P8z46zaWbQBeVMTu0YiP9tVbsjbG4QFV3g"
	keyC    = "i-mcqzbmwigid0sohwvjk60pwxwmfc1wsenvzy1zpuou1ay-c66elwlnabeb5ylpf1f_uu_1peytzobumnll8g"
)

// The vectors of shared/notes/cloudstack.md §1.3: A–K from public test
// suites (CloudStack dev guide, cloudstack.net, ngine-io/cs, fog), L–N
// computed with the JDK's URLEncoder and HmacSHA1 copying verifyRequest.
var vectors = []struct {
	name   string
	secret string
	params map[string]string
	str    string // string to sign; "" = not checked
	sig    string
}{
	{"A", secretA, map[string]string{"apikey": keyA, "command": "listUsers", "response": "json"},
		"apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json",
		"TTpdDq/7j/J58XCRHomKoQXEQds="},
	{"B", secretA, map[string]string{"apikey": keyA, "command": "listUsers", "response": "json", "list": ""},
		"", "jM1//BntxGWasZKnDDDvC8AowsE="},
	{"C", secretC, map[string]string{"apikey": keyC, "command": "listzones", "response": "json"},
		"", "RNlqbyJYiXMGYXI5g7+0zB6Y+5w="},
	{"D", "bar", map[string]string{"apiKey": "foo", "command": "listZones"},
		"apikey=foo&command=listzones", "vRCL4rttwUS7s3a3m53Py1iHaAw="},
	{"E", "bar", map[string]string{"apiKey": "foo", "command": "listVirtualMachines", "listall": "true", "response": "json"},
		"apikey=foo&command=listvirtualmachines&listall=true&response=json", "B0d6hBsZTcFVCiioSxzwKA9Pke8="},
	{"F", "bar", map[string]string{"apiKey": "foo", "command": "listVirtualMachines", "response": "json",
		"zoneId": "2", "templateId": "3", "temPlateidd": "4", "pageSize": "10", "page": "1"},
		"apikey=foo&command=listvirtualmachines&page=1&pagesize=10&response=json&templateidd=4&templateid=3&zoneid=2",
		"mMS7XALuGkCXk7kj5SywySku0Z0="},
	{"G", "bar", map[string]string{"apiKey": "foo", "command": "listVirtualMachines", "listall": "1",
		"response": "json", "unicode_param": "éèààû"},
		"apikey=foo&command=listvirtualmachines&listall=1&response=json&unicode_param=%c3%a9%c3%a8%c3%a0%c3%a0%c3%bb",
		"gABU/KFJKD3FLAgKDuxQoryu4sA="},
	{"H", "bar", map[string]string{"apiKey": "foo", "command": "scaleVirtualMachine", "id": "a", "response": "json",
		"details[0].cpunumber": "1000", "details[0].memory": "640k"},
		"apikey=foo&command=scalevirtualmachine&details[0].cpunumber=1000&details[0].memory=640k&id=a&response=json",
		"ZNl66z3gFhnsx2Eo3vvCIM0kAgI="},
	{"I", "bar", map[string]string{"apiKey": "foo", "command": "createNetwork", "name": "", "display_text": "", "response": "json"},
		"apikey=foo&command=createnetwork&display_text=&name=&response=json", "CistTEiPt/4Rv1v4qSyILvPbhmg="},
	{"J", "bar", map[string]string{"apiKey": "foo", "blah": "brah", "command": "listVirtualMachines", "response": "json"},
		"apikey=foo&blah=brah&command=listvirtualmachines&response=json", "58VvLSaVUqHnG9DhXNOAiDFwBoA="},
	{"K", "abcdefg", map[string]string{"account": "Lorem Ipsum", "domainid": "42", "q": "keywords"},
		"account=lorem%20ipsum&domainid=42&q=keywords", "V2CxRU4zQQtox1DZsH/66GDdzhg="},
	{"L", "bar", map[string]string{"apiKey": "foo", "command": "listZones", "response": "json", "name": "a b*c~d"},
		"apikey=foo&command=listzones&name=a%20b*c%7ed&response=json", "rzyee46QoqmgU827OM87jBu4HQ4="},
	{"M", "bar", map[string]string{"apiKey": "foo", "command": "listZones", "response": "json",
		"signatureversion": "3", "expires": "2030-01-01T00:00:00Z"},
		"apikey=foo&command=listzones&expires=2030-01-01t00%3a00%3a00z&response=json&signatureversion=3",
		"vo4nlhMziX0XXYZ8v4MJGUOImxY="},
	{"N", "bar", map[string]string{"apiKey": "foo", "command": "deployVirtualMachine", "response": "json",
		"zoneid": "z-1", "templateid": "t-1", "serviceofferingid": "s-1", "displayname": "web 01",
		"signatureversion": "3", "expires": "2030-01-01T00:00:00Z"},
		"apikey=foo&command=deployvirtualmachine&displayname=web%2001&expires=2030-01-01t00%3a00%3a00z&response=json&serviceofferingid=s-1&signatureversion=3&templateid=t-1&zoneid=z-1",
		"XjGH36kQ6UgHbHxgfV/s1JsOm+U="},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if v.str != "" {
				if got := StringToSign(v.params); got != v.str {
					t.Errorf("string to sign:\ngot  %s\nwant %s", got, v.str)
				}
			}
			if got := Sign(v.params, v.secret); got != v.sig {
				t.Errorf("signature: got %s, want %s", got, v.sig)
			}
			signed := map[string]string{"signature": v.sig}
			for k, x := range v.params {
				signed[k] = x
			}
			if !Verify(signed, v.secret) {
				t.Errorf("Verify rejected the vector's own signature")
			}
			signed["signature"] = "AAAA" + v.sig[4:]
			if Verify(signed, v.secret) {
				t.Errorf("Verify accepted a wrong signature")
			}
		})
	}
}

func TestEncodeLikeJava(t *testing.T) {
	// URLEncoder.encode("~*. -_/+=") = "%7E*.+-_%2F%2B%3D" on JDK 17, with + → %20;
	// cloudstack-go's own cases: *.example.com, foo?, "this that".
	for in, want := range map[string]string{
		"~*. -_/+=":     "%7E*.%20-_%2F%2B%3D",
		"*.example.com": "*.example.com",
		"foo?":          "foo%3F",
		"this that":     "this%20that",
		"é":             "%C3%A9",
		"":              "",
	} {
		if got := Encode(in); got != want {
			t.Errorf("Encode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVerifyWithoutSignature(t *testing.T) {
	if Verify(map[string]string{"apiKey": "foo", "command": "listZones"}, "bar") {
		t.Error("Verify accepted a request without signature")
	}
	// The name "signature" is matched case-insensitively, like the server.
	p := map[string]string{"apiKey": "foo", "command": "listZones", "Signature": "vRCL4rttwUS7s3a3m53Py1iHaAw="}
	if !Verify(p, "bar") {
		t.Error("Verify did not find a Signature parameter")
	}
}

func TestExpires(t *testing.T) {
	at := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := Expires(at); got != "2030-01-01T00:00:00+0000" {
		t.Errorf("Expires = %q", got)
	}
	for _, s := range []string{"2030-01-01T00:00:00+0000", "2030-01-01T00:00:00Z", "2030-01-01T01:00:00+01:00", "2030-01-01T00:00:00.000000+0000"} {
		got, ok := ParseExpires(s)
		if !ok || !got.Equal(at) {
			t.Errorf("ParseExpires(%q) = %v, %v; want %v", s, got, ok, at)
		}
	}
	if _, ok := ParseExpires("tomorrow"); ok {
		t.Error("ParseExpires accepted garbage")
	}
}
