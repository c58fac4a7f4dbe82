// Preloaded into the real Bucket server (node -r): its InfluxDB client is built from
// host and database only, so it always dials port 8086. Give it INFLUXDB_PORT instead,
// so the harness can run InfluxDB on a free port. The server's code is not touched.
const Module = require("module");
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = load.apply(this, arguments);
  if (request === "influx" && !exported.__portFromEnv) {
    const Original = exported.InfluxDB;
    const port = Number(process.env.INFLUXDB_PORT || 8086);
    class InfluxDB extends Original {
      constructor(options) {
        super(options && typeof options === "object" && !options.port ? { ...options, port } : options);
      }
    }
    exported.InfluxDB = InfluxDB;
    exported.__portFromEnv = true;
  }
  return exported;
};
