// Every Cloud Function of nasmon; each file registers its target with the functions framework.
import './poll-nas-jobs.js';
import './poll-target.js';
import './nas-jobs-api.js';
import './notify.js';
import './enforce.js';
import './dashboard.js';
