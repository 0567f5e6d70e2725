local lib = import 'lib.libsonnet';
function(name) { name: name, disk: lib.disk(42) }
