const express = require('express');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const escapeHtml = require('escape-html');
const { exec } = require('child_process');
const mysql = require('mysql');

const app = express();
const db = mysql.createConnection({ host: 'localhost' });

const TABLE = { a: 'alpha', b: 'beta' };

app.get('/case', (req, res) => {
  const value = TABLE[req.query.p];
  exec('ping -c 1 ' + value);
});
