import yaml as y
from os import system
from os import system as run_it
import pickle

# ruleid: os-system
system("ls")
# ruleid: os-system
run_it("ls")
# ruleid: yaml-load
y.load(data)
# ruleid: pickle-loads
pickle.loads(blob)
# ok: pickle-loads
loads(blob)
# ruleid: pickle-loads
(pickle).loads(blob)
