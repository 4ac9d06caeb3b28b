"""JupyterHub's configuration for ``ddsp-course hub`` (loaded by ``jupyterhub -f``; the settings come from
the JSON file ``$DDSP_HUB_SETTINGS`` that :mod:`ddsp_course.hub` writes)."""
import json
import os

c = get_config()  # noqa: F821  (provided by JupyterHub)
with open(os.environ["DDSP_HUB_SETTINGS"]) as f:
    s = json.load(f)

c.JupyterHub.ip = s["ip"]
c.JupyterHub.port = s["port"]
c.JupyterHub.hub_port = s["port"] + 1  # the hub's own API and the proxy's, on loopback
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['port'] + 2}"
if s["ssl_cert"]:
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = s["ssl_cert"], s["ssl_key"]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(s["state"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(s["state"], "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(s["state"], "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [s["proxy"]]
c.ConfigurableHTTPProxy.pid_file = os.path.join(s["state"], "proxy.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server and the proxy

# Who may log in: the roster's students and the instructor, with their Unix accounts' passwords.
# No sign-up page, no shared password. A university's single sign-on instead: README, 'A class server'.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(s["students"]) | {s["instructor"]}
c.Authenticator.allow_existing_users = False  # someone taken off the roster cannot log in again
# The instructor sees the hub's user list and may start or stop a student's server, but not enter it.
c.JupyterHub.load_roles = [{"name": "instructor", "users": [s["instructor"]],
                            "scopes": ["admin-ui", "list:users", "admin:servers"]}]

# Each person's JupyterLab runs as their own account, from the class environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(s["env"], "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def by_role(spawner):
    """The instructor's server on the course with the formgrader and the class's exchange; a student's in
    their home with nbgrader's Assignments panel only."""
    environment = {"PATH": os.path.join(s["env"], "bin") + ":/usr/local/bin:/usr/bin:/bin",
                   "OMP_NUM_THREADS": "1"}  # a shared machine: one compute thread a kernel
    if spawner.user.name == s["instructor"]:
        spawner.notebook_dir = s["course_root"]
        environment.update(JUPYTER_CONFIG_PATH=os.path.join(s["config"], "instructor"),
                           DDSP_COURSE_EXCHANGE=s["exchange"])
    else:
        spawner.notebook_dir = "~"
        environment.update(JUPYTER_CONFIG_PATH=os.path.join(s["config"], "student"))
    spawner.environment = environment


c.Spawner.pre_spawn_hook = by_role

# The instructor's own additions (--hub-config FILE), last: e.g. a university's OAuth or an LMS's LTI launch
# in place of PAM (README, 'A class server').
if s["extra_config"]:
    load_subconfig(s["extra_config"])  # noqa: F821  (provided by JupyterHub's config loader)
